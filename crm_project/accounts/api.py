from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Department, User


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["code", "name_zh", "name_en"]


class MeSerializer(serializers.ModelSerializer):
    department = DepartmentSerializer(allow_null=True)
    roles = serializers.SerializerMethodField()
    display_name = serializers.CharField()

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "email", "phone", "language", "department", "roles", "is_superuser"]

    def get_roles(self, user: User) -> list[str]:
        return sorted(role.value for role in user.roles)


class MeView(APIView):
    """The signed-in user, their department and roles."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)
